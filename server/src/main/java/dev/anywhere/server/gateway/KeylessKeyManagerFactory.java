package dev.anywhere.server.gateway;

import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The JDK's key managers for a key store, except that they hand out no private key. netty-tcnative gives BoringSSL the
 * private-key method ({@link LibcryptoRsaSigner}) only for key material without a key (ssl.c {@code setKeyMaterial}:
 * {@code SSL_set_chain_and_key(..., pkey, pkey == NULL ? &private_key_method : NULL)}); with the key present BoringSSL
 * would sign itself.
 */
final class KeylessKeyManagerFactory extends KeyManagerFactory {

    KeylessKeyManagerFactory() throws java.security.NoSuchAlgorithmException {
        this(KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm()));
    }

    private KeylessKeyManagerFactory(KeyManagerFactory jdk) {
        super(new Spi(jdk), jdk.getProvider(), jdk.getAlgorithm());
    }

    private static final class Spi extends KeyManagerFactorySpi {
        private final KeyManagerFactory jdk;

        Spi(KeyManagerFactory jdk) {
            this.jdk = jdk;
        }

        @Override
        protected void engineInit(KeyStore store, char[] password) throws java.security.KeyStoreException,
                java.security.NoSuchAlgorithmException, java.security.UnrecoverableKeyException {
            jdk.init(store, password);
        }

        @Override
        protected void engineInit(ManagerFactoryParameters parameters) throws java.security.InvalidAlgorithmParameterException {
            jdk.init(parameters);
        }

        @Override
        protected KeyManager[] engineGetKeyManagers() {
            KeyManager[] managers = jdk.getKeyManagers().clone();
            for (int i = 0; i < managers.length; i++) {
                if (managers[i] instanceof X509ExtendedKeyManager x509) {
                    managers[i] = new Keyless(x509);
                }
            }
            return managers;
        }
    }

    /** Aliases and chains from the JDK's key manager; no private key. */
    private static final class Keyless extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager delegate;

        Keyless(X509ExtendedKeyManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return delegate.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return delegate.chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return delegate.chooseClientAlias(keyTypes, issuers, socket);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return delegate.chooseEngineClientAlias(keyTypes, issuers, engine);
        }
    }
}
