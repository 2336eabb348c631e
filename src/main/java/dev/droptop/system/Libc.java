package dev.droptop.system;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** The few libc calls droptop needs; errno through {@link Native#getLastError()}. */
interface Libc extends Library {
    Libc C = Native.load("c", Libc.class);

    int O_RDONLY = 0;
    int O_NONBLOCK = 04000;
    int O_CLOEXEC = 02000000;
    int SEEK_END = 2;
    int CLONE_NEWNET = 0x40000000;
    int EAGAIN = 11;
    int EINTR = 4;
    int EPIPE = 32;

    int geteuid();

    int open(String path, int flags);

    long read(int fd, byte[] buf, long count);

    long lseek(int fd, long offset, int whence);

    int close(int fd);

    int setns(int fd, int nstype);
}
