package dev.anywhere.directory.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.schema.Schema;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DirectorySchemaTest {

    /** Names that the standard schemas (UnboundID default; OpenLDAP core, cosine, inetorgperson) already define. */
    private static final Set<String> STANDARD = Set.of("cn", "objectClass", "displayName", "mail", "sn", "userPassword",
            "ou", "title", "entryUUID", "createTimestamp", "modifyTimestamp", "member");

    @Test
    void everyNameAnywhereUsesIsDefined() throws Exception {
        Schema schema = DirectorySchema.unboundIdSchema();
        for (Field f : AdNames.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != String.class) {
                continue;
            }
            String name = (String) f.get(null);
            boolean defined = schema.getAttributeType(name) != null || schema.getObjectClass(name) != null;
            assertThat(defined).as(f.getName() + " = " + name).isTrue();
            if (!STANDARD.contains(name)) {
                assertThat(DirectorySchema.entry().toLDIFString()).as(name).containsIgnoringCase("NAME '" + name + "'");
            }
        }
    }

    @Test
    void rawConfigurationAttributesAreSingleValuedIntegersOrStrings() {
        Schema schema = DirectorySchema.unboundIdSchema();
        assertThat(schema.getAttributeType("msExchRpcHttpFlags").getSyntaxOID()).isEqualTo("1.3.6.1.4.1.1466.115.121.1.27");
        assertThat(schema.getAttributeType("msExchExternalHostName").isSingleValued()).isTrue();
        assertThat(schema.getAttributeType("proxyAddresses").isSingleValued()).isFalse();
        assertThat(schema.getAttributeType("sAMAccountName").getOID()).isEqualTo("1.2.840.113556.1.4.221");
        assertThat(schema.getObjectClass("user").getSuperiorClasses()).contains("organizationalPerson");
    }

    @Test
    void openLdapFormCarriesEveryDefinition() {
        String olc = DirectorySchema.openLdapConfigLdif();
        assertThat(olc).startsWith("dn: cn=anywhere,cn=schema,cn=config\nobjectClass: olcSchemaConfig\n");
        assertThat(olc.lines().filter(l -> l.startsWith("olcAttributeTypes: ")).count())
                .isEqualTo(DirectorySchema.attributeTypes().size());
        assertThat(olc.lines().filter(l -> l.startsWith("olcObjectClasses: ")).count())
                .isEqualTo(DirectorySchema.objectClasses().size());
        assertThat(olc).contains("NAME 'sambaNTPassword'");
    }
}
