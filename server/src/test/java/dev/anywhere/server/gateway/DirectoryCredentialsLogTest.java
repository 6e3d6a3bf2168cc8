package dev.anywhere.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.anywhere.directory.DirectoryException;
import dev.anywhere.directory.SiteDirectory;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the gateway logs when the directory cannot answer an NT hash look-up: the account, spelled right. */
class DirectoryCredentialsLogTest {

    @Test
    void unreadableNtHashNamesTheAccount() {
        SiteDirectory down = (SiteDirectory) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {SiteDirectory.class},
                (proxy, method, args) -> {
                    throw new DirectoryException("insufficient access rights", false, null);
                });
        Logger logger = (Logger) LoggerFactory.getLogger(DirectoryCredentials.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            assertThat(new DirectoryCredentials(down).ntHash("FRANKYSWEB", "franky")).isEmpty();
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("gateway: cannot read the NT hash of 'FRANKYSWEB\\franky': insufficient access rights");
    }
}
