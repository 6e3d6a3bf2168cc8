package dev.anywhere.autodiscover.discovery;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;

/** A tiny authoritative UDP DNS responder on loopback, built on dnsjava's message codec; answers from a fixed zone. */
final class TestDnsServer implements AutoCloseable {

    private final DatagramSocket socket;
    private final List<Record> zone = new CopyOnWriteArrayList<>();
    final List<String> queries = new CopyOnWriteArrayList<>();
    private final Thread thread;

    TestDnsServer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::serve, "test-dns");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    TestDnsServer a(String host, String address) throws IOException {
        zone.add(new ARecord(Name.fromString(host + "."), DClass.IN, 60, InetAddress.getByName(address)));
        return this;
    }

    TestDnsServer srv(String name, int priority, int weight, int port, String target) throws IOException {
        zone.add(new SRVRecord(Name.fromString(name + "."), DClass.IN, 60, priority, weight, port,
                Name.fromString(target + ".")));
        return this;
    }

    /** Drops every SRV record (tests add their own). */
    void clearSrv() {
        zone.removeIf(r -> r.getType() == org.xbill.DNS.Type.SRV);
    }

    private void serve() {
        byte[] buf = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                Record question = q.getQuestion();
                queries.add(question.getName() + " " + org.xbill.DNS.Type.string(question.getType()));
                Message r = new Message(q.getHeader().getID());
                r.getHeader().setFlag(Flags.QR);
                r.getHeader().setFlag(Flags.AA);
                r.addRecord(question, Section.QUESTION);
                boolean nameExists = false;
                for (Record rec : zone) {
                    if (rec.getName().equals(question.getName())) {
                        nameExists = true;
                        if (rec.getType() == question.getType()) {
                            r.addRecord(rec, Section.ANSWER);
                        }
                    }
                }
                if (!nameExists) {
                    r.getHeader().setRcode(Rcode.NXDOMAIN);
                }
                byte[] wire = r.toWire();
                socket.send(new DatagramPacket(wire, wire.length, p.getSocketAddress()));
            } catch (IOException e) {
                // closed or a bad packet: keep serving until closed
            }
        }
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
