# Bounded loads that make the kernel drop for one reason each (root scenarios of the reason rules).
# Usage: drops.py MODE DST PORT COUNT; every mode sends at most COUNT packets and stops within 8 s.
# Addresses are 198.18.0.0/15 inside test network namespaces only.
import socket, struct, sys, time

mode, dst, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
end = time.time() + 8


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def src_for(d):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.connect((d, 9))
    return u.getsockname()[0]


def ip_header(src, d, proto, payload_len, ident, frag=0, ttl=64):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + payload_len, ident, frag, ttl, proto, 0,
                    socket.inet_aton(src), socket.inet_aton(d))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:]


def raw():
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    r.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    return r


if mode == "filter":            # a UDP socket whose classic BPF filter rejects everything ("ret #0")
    r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    prog = struct.pack("HBBI", 0x06, 0, 0, 0)          # BPF_RET|BPF_K, k=0: accept 0 bytes = drop
    import ctypes
    code = ctypes.create_string_buffer(prog)
    fprog = struct.pack("HL", 1, ctypes.addressof(code))
    r.setsockopt(socket.SOL_SOCKET, 26, fprog)           # SO_ATTACH_FILTER
    r.bind((dst, port))
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i in range(n):
        u.sendto(b"x" * 32, (dst, port))
elif mode == "badsum":          # UDP datagrams with a wrong checksum, sent through a raw socket
    r = raw()
    src = src_for(dst)
    for i in range(n):
        udp = struct.pack("!HHHH", 40000, port, 8 + 16, 0x1234) + b"y" * 16
        r.sendto(ip_header(src, dst, 17, len(udp), i + 1) + udp, (dst, 0))
elif mode == "bound":           # datagrams to a socket of this netns that is bound and listening
    r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); r.bind((dst, port))
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i in range(n):
        u.sendto(b"x" * 32, (dst, port))
elif mode == "bigrcv":          # a receiver with the largest SO_RCVBUF allowed that never reads, N x 1400 B
    r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    r.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 20)     # capped by net.core.rmem_max
    r.bind((dst, port))
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i in range(n):
        u.sendto(b"m" * 1400, (dst, port))
        if time.time() > end:
            break
elif mode == "hold":            # a bound UDP receiver that never reads, held COUNT seconds (at most 8)
    r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); r.bind((dst, port))
    time.sleep(max(0, min(n, end - time.time())))
elif mode == "ttl1":            # UDP with TTL 1 (expires at the first router)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 1)
    for i in range(n):
        u.sendto(b"x" * 32, (dst, port))
elif mode == "udp":             # plain datagrams (to an unresolvable neighbour, a forwarding-off router ...)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i in range(n):
        try:
            u.sendto(b"x" * 32, (dst, port))
        except OSError:
            pass
        if time.time() > end:
            break
    time.sleep(float(sys.argv[5]) if len(sys.argv) > 5 else 0)   # wait for neighbour resolution to fail
elif mode == "frag":            # first fragments only (MF set, offset 0): reassembly times out
    r = raw()
    src = src_for(dst)
    for i in range(n):
        udp = struct.pack("!HHHH", 40000, port, 8 + 64, 0) + b"z" * 64
        r.sendto(ip_header(src, dst, 17, 48, 0x4000 + i, frag=0x2000)[:20] + udp[:48], (dst, 0))
    time.sleep(float(sys.argv[5]) if len(sys.argv) > 5 else 0)   # wait for ipfrag_time to expire
elif mode in ("paws", "oow"):   # an established connection (dst:port on lo) fed forged segments
    srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((dst, port)); srv.listen(1)
    sniff = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800)); sniff.bind(("lo", 0))
    sniff.settimeout(2)
    c = socket.create_connection((dst, port)); a, _ = srv.accept()
    cport = c.getsockname()[1]
    c.send(b"a")
    while time.time() < end:        # the client's data segment: its seq, ack and timestamps
        f = sniff.recv(4096)[14:]
        th = f[(f[0] & 15) * 4:]
        sp, dp, seq, ack, off = struct.unpack("!HHIIB", th[:13])
        if sp == cport and dp == port and len(f) > (f[0] & 15) * 4 + (off >> 4) * 4:
            break
    sniff.close()                   # packets it holds are freed as QUEUE_PURGE: keep them few
    opts = th[20:(off >> 4) * 4]
    i = 0
    while i < len(opts) and opts[i] != 8:
        i += 1 if opts[i] in (0, 1) else opts[i + 1]
    tsval, tsecr = struct.unpack("!II", opts[i + 2:i + 10])
    seq += 1                        # after the one byte sent
    if mode == "paws":
        tsval = (tsval - 0x10000000) & 0xFFFFFFFF   # far older than the last timestamp seen
    else:
        seq = (seq + 0x40000000) & 0xFFFFFFFF       # far right of the receive window
    r = raw()
    for k in range(n):
        tcp = struct.pack("!HHIIBBHHH", cport, port, seq, ack, 8 << 4, 0x18, 65535, 0, 0) \
            + struct.pack("!BBBBII", 1, 1, 8, 10, tsval, tsecr) + b"b"
        pseudo = socket.inet_aton(dst) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6, len(tcp))
        tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
        r.sendto(ip_header(dst, dst, 6, len(tcp), 0x7000 + k) + tcp, (dst, 0))
    time.sleep(0.2)
else:
    sys.exit("unknown mode " + mode)
