// dropflood-bpf.c: bounded UDP flood to 127.0.0.1:PORT for the bpftrace benchmark (droptop).
// Usage: dropflood-bpf PORT RATE SECONDS THREADS     RATE = datagrams/s in total, 0 = as fast as possible.
// Sends 32-byte datagrams with sendmmsg in batches of 64, paced per millisecond; run it inside a
// test netns whose nftables input chain drops PORT, so each datagram is one drop (nft_do_chain,
// NETFILTER_DROP). Stops after SECONDS (at most 10). Prints: sent=N secs=S
// Build: gcc -O2 -pthread -o dropflood-bpf dropflood-bpf.c
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
static int port;
static double rate_per_thread, seconds;
static unsigned long sent_total;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *flood(void *arg) {
    (void) arg;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    char payload[32] = {0};
    struct iovec iov = {payload, sizeof payload};
    struct mmsghdr msgs[BATCH];
    memset(msgs, 0, sizeof msgs);
    for (int i = 0; i < BATCH; i++) {
        msgs[i].msg_hdr.msg_name = &to;
        msgs[i].msg_hdr.msg_namelen = sizeof to;
        msgs[i].msg_hdr.msg_iov = &iov;
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    double start = now(), end = start + seconds;
    unsigned long sent = 0;
    for (double t = start; t < end; t = now()) {
        if (rate_per_thread > 0 && sent >= (t - start) * rate_per_thread) {
            usleep(200);
            continue;
        }
        int n = sendmmsg(fd, msgs, BATCH, 0);
        if (n > 0) sent += n;
    }
    close(fd);
    __atomic_add_fetch(&sent_total, sent, __ATOMIC_RELAXED);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 5) {
        fprintf(stderr, "usage: dropflood-bpf PORT RATE SECONDS THREADS\n");
        return 2;
    }
    port = atoi(argv[1]);
    int threads = atoi(argv[4]);
    if (threads < 1 || threads > 4) threads = 1;
    seconds = atof(argv[3]);
    if (seconds > 10) seconds = 10;
    rate_per_thread = atof(argv[2]) / threads;
    pthread_t t[4];
    double t0 = now();
    for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, flood, NULL);
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    printf("sent=%lu secs=%.3f\n", sent_total, now() - t0);
    return 0;
}
