package dev.droptop.model;

/**
 * {@code count} drops of one flow at one drop point. {@code key} carries the location, reason and,
 * when known, netns and device; its protocol is the ethertype (2048 IPv4, 34525 IPv6).
 * {@link Flow#OTHER} stands for the drops a flow cap folded away (in the kernel or here).
 */
public record FlowCount(DropKey key, Flow flow, long count) {
}
