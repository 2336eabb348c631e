# Bounded NAT load for ProfileRootTest, inside a test netns only: the server listens on
# 198.18.0.2:8081, the client connects to 198.18.0.1:8080 (DNAT'ed by the netns' nft table) and
# closes, COUNT times or for at most SECONDS seconds.  Usage: nat-load.py COUNT SECONDS
import socket, sys, time
n, secs = int(sys.argv[1]), float(sys.argv[2])
end = time.time() + secs
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("198.18.0.2", 8081)); srv.listen(512)
done = 0
for i in range(n):
    if time.time() > end: break
    c = socket.socket(); c.settimeout(0.2)
    try:
        c.connect(("198.18.0.1", 8080)); a, _ = srv.accept(); a.close(); done += 1
    except OSError:
        pass
    c.close()
print("connections", done)
