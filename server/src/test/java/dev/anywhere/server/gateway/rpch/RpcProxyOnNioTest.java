package dev.anywhere.server.gateway.rpch;

import dev.anywhere.server.net.NettyTransport;

class RpcProxyOnNioTest extends RpcProxyOnTransportTest {
    @Override
    NettyTransport.Choice transport() {
        return NettyTransport.Choice.NIO;
    }
}
