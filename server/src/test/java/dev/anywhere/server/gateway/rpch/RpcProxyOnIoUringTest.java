package dev.anywhere.server.gateway.rpch;

import dev.anywhere.server.net.NettyTransport;

class RpcProxyOnIoUringTest extends RpcProxyOnTransportTest {
    @Override
    NettyTransport.Choice transport() {
        return NettyTransport.Choice.IO_URING;
    }
}
