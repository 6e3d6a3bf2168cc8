package dev.anywhere.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One run as the page follows it: the server-sent events so far (replayed to a page that subscribes late or
 * reconnects) and the pages subscribed now. Holds no part of the form: the password never reaches it.
 */
final class LiveRun {

    private final String id;
    private final String client;
    private final List<String> events = new ArrayList<>();
    private final List<Channel> subscribers = new ArrayList<>();
    private boolean done;

    LiveRun(String id, String client) {
        this.id = id;
        this.client = client;
    }

    String id() {
        return id;
    }

    String client() {
        return client;
    }

    /** Adds one event ({@code event:} name and one-line JSON {@code data}) and sends it to every subscriber. */
    synchronized void emit(String event, String data) {
        String frame = "id: " + events.size() + "\nevent: " + event + "\ndata: " + data + "\n\n";
        events.add(frame);
        for (Channel c : subscribers) {
            c.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(frame, StandardCharsets.UTF_8)));
        }
    }

    /** The last event: every subscriber's stream ends after it. */
    synchronized void finish(String event, String data) {
        emit(event, data);
        done = true;
        subscribers.forEach(c -> c.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE));
        subscribers.clear();
    }

    /** Sends every event so far to {@code channel} (whose response head is written), then the rest as they come. */
    synchronized void subscribe(Channel channel) {
        for (String frame : events) {
            channel.write(new DefaultHttpContent(Unpooled.copiedBuffer(frame, StandardCharsets.UTF_8)));
        }
        if (done) {
            channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        channel.flush();
        subscribers.add(channel);
        channel.closeFuture().addListener(f -> unsubscribe(channel));
    }

    private synchronized void unsubscribe(Channel channel) {
        subscribers.remove(channel);
    }

    synchronized boolean done() {
        return done;
    }
}
