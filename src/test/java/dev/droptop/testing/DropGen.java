package dev.droptop.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.DatagramPacket;
import java.net.DatagramSocket;

/**
 * A bounded drop generator for tests, run inside a test namespace with
 * {@code ip netns exec NS java -cp ... dev.droptop.testing.DropGen MODE HOST PORT COUNT MAX_SECONDS}.
 * <ul>
 *   <li>{@code udp}: COUNT datagrams to HOST:PORT (closed port: {@code __udp4_lib_rcv}/NO_SOCKET; port
 *       dropped by an nft rule: {@code nft_do_chain}/NETFILTER_DROP);</li>
 *   <li>{@code tcp}: COUNT connect() attempts to HOST:PORT (closed port: {@code tcp_v4_rcv}/NO_SOCKET,
 *       one drop per attempt: the SYN; the RST goes back to a socket that exists).</li>
 * </ul>
 * Prints {@code sent=N secs=S} and stops at COUNT or MAX_SECONDS, whichever comes first.
 */
public final class DropGen {
    private DropGen() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 5) {
            System.err.println("usage: DropGen udp|tcp HOST PORT COUNT MAX_SECONDS");
            System.exit(2);
        }
        String mode = args[0];
        InetAddress host = InetAddress.getByName(args[1]);
        int port = Integer.parseInt(args[2]);
        long count = Math.min(Long.parseLong(args[3]), 5_000_000L);
        long deadline = System.nanoTime() + Math.min(Long.parseLong(args[4]), 120) * 1_000_000_000L;
        long t0 = System.nanoTime();
        long sent = "udp".equals(mode) ? udp(host, port, count, deadline) : tcp(host, port, count, deadline);
        System.out.printf("sent=%d secs=%.3f%n", sent, (System.nanoTime() - t0) / 1e9);
    }

    private static long udp(InetAddress host, int port, long count, long deadline) throws IOException {
        byte[] payload = new byte[32];
        long sent = 0;
        try (DatagramSocket s = new DatagramSocket()) {
            DatagramPacket p = new DatagramPacket(payload, payload.length, host, port);
            while (sent < count && (sent & 1023) != 0 || sent < count && System.nanoTime() < deadline) {
                s.send(p);
                sent++;
            }
        }
        return sent;
    }

    private static long tcp(InetAddress host, int port, long count, long deadline) {
        long sent = 0;
        while (sent < count && System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 1000);
            } catch (IOException expected) {
                // connection refused: the SYN was dropped with NO_SOCKET
            }
            sent++;
        }
        return sent;
    }
}
