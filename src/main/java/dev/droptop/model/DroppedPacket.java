package dev.droptop.model;

/**
 * The first bytes of one dropped packet, from its network header on, with where and why it was
 * dropped. {@code data} holds {@code data.length} captured bytes of a packet whose length from the
 * network header was {@code origLength}.
 *
 * @param timeNanos trace clock (bpftrace nsecs: CLOCK_MONOTONIC)
 * @param key location, reason, protocol, netns inode, device
 * @param ifindex skb->dev's ifindex, 0 when the skb had no device
 */
public record DroppedPacket(long timeNanos, DropKey key, int ifindex, int origLength, byte[] data) {
}
