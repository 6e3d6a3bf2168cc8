package dev.anywhere.cli;

import dev.anywhere.server.net.NettyTransport;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --transport auto|epoll|io_uring|nio} for the commands that start servers: sets the process-wide choice
 * ({@link NettyTransport#PROPERTY}) that the gateway, the endpoints and the router read when they start. Without the
 * option the property (from ANYWHERE_JAVA_OPTS) or {@code auto} decides.
 */
final class TransportOption {

    @Option(names = "--transport", paramLabel = "auto|epoll|io_uring|nio", converter = ChoiceConverter.class)
    void transport(NettyTransport.Choice choice) {
        System.setProperty(NettyTransport.PROPERTY, choice.id());
    }

    /** The choice to hand to a child JVM ({@code -Danywhere.transport=...}), when one was made. */
    static java.util.Optional<String> jvmOption() {
        String v = System.getProperty(NettyTransport.PROPERTY);
        return v == null || v.isBlank() ? java.util.Optional.empty() : java.util.Optional.of("-D" + NettyTransport.PROPERTY + "=" + v);
    }

    static final class ChoiceConverter implements CommandLine.ITypeConverter<NettyTransport.Choice> {
        @Override
        public NettyTransport.Choice convert(String value) {
            try {
                return NettyTransport.Choice.parse(value);
            } catch (IllegalArgumentException e) {
                // picocli puts this reason after its "Invalid value for option": in the user's language.
                throw new CommandLine.TypeConversionException(Inputs.problem(e, CliText.ofLocale()));
            }
        }
    }
}
