package dev.anywhere.server.gateway.rpch;

import dev.anywhere.server.net.NettyTransport;

class RpcProxyOnEpollTest extends RpcProxyOnTransportTest {
    @Override
    NettyTransport.Choice transport() {
        return NettyTransport.Choice.EPOLL;
    }
}
