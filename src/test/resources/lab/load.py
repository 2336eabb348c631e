# Bounded loads for the root diagnosis scenarios (198.18.0.0/15 or loopback, inside a test netns).
# Usage: load.py MODE DST PORT COUNT [SRC]; every mode stops after COUNT packets/attempts or 8 s.
import socket, sys, time
from socket import AF_INET, SOCK_DGRAM, SOL_SOCKET, SO_REUSEADDR, SO_RCVBUF

mode, dst, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
end = time.time() + 8
if mode == "connect-close":      # a server and short connections: each leaves a TIME_WAIT entry
    srv = socket.socket(); srv.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1); srv.bind((dst, port)); srv.listen(512)
    for i in range(n):
        if time.time() > end: break
        c = socket.socket(); c.settimeout(0.1)
        try:
            c.connect((dst, port)); a, _ = srv.accept(); a.close()
        except OSError:
            pass
        c.close()
elif mode == "udp":              # datagrams to a port (closed, or dropped by a rule)
    u = socket.socket(AF_INET, SOCK_DGRAM)
    src = sys.argv[5] if len(sys.argv) > 5 else None
    if src: u.bind((src, 0))
    for i in range(n): u.sendto(b"x" * 32, (dst, port))
elif mode == "rcvbuf":           # a receiver that never reads, with a tiny buffer
    r = socket.socket(AF_INET, SOCK_DGRAM); r.setsockopt(SOL_SOCKET, SO_RCVBUF, 1024); r.bind((dst, port))
    u = socket.socket(AF_INET, SOCK_DGRAM)
    for i in range(n): u.sendto(b"x" * 1000, (dst, port))
elif mode == "broadcast":        # datagrams to a subnet broadcast address (a bridge floods each to every port)
    u = socket.socket(AF_INET, SOCK_DGRAM); u.setsockopt(SOL_SOCKET, socket.SO_BROADCAST, 1)
    for i in range(n): u.sendto(b"x" * 32, (dst, port))
elif mode == "listen-server":    # listen(N) and never accept; exits after 8 s (or when killed)
    s = socket.socket(); s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1); s.bind((dst, port)); s.listen(n)
    time.sleep(max(0, end - time.time()))
elif mode == "listen-burst":     # N connections that complete, then a burst of N+1 SYNs; holds them 1.5 s
    cs = []
    while len(cs) < n and time.time() < end:   # the server may still be starting: retry refusals
        c = socket.socket(); c.settimeout(2)
        try:
            c.connect((dst, port)); cs.append(c)
        except OSError:
            c.close(); time.sleep(0.05)
    for i in range(n + 1):
        c = socket.socket(); c.setblocking(False)
        try:
            c.connect((dst, port))
        except BlockingIOError:
            pass
        cs.append(c)
    time.sleep(1.5)
elif mode == "syn-burst":        # N non-blocking connects at once, held 1.5 s
    cs = []
    for i in range(n):
        c = socket.socket(); c.setblocking(False)
        try:
            c.connect((dst, port))
        except BlockingIOError:
            pass
        cs.append(c)
    time.sleep(1.5)
elif mode == "close-unread":     # a packet sniffer and UDP receivers that close with data unread, N rounds
    u = socket.socket(AF_INET, SOCK_DGRAM)
    for i in range(n):
        p = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3)); p.bind(("lo", 0))
        r = socket.socket(AF_INET, SOCK_DGRAM); r.bind((dst, port))
        for j in range(5): u.sendto(b"x" * 100, (dst, port))
        p.close(); r.close()
    time.sleep(0.2)                # let RCU-deferred socket destructors run while perf still records
