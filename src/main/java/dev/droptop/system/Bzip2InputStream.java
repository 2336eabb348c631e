package dev.droptop.system;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A bzip2 decompressor in plain Java (the JDK has none), enough for {@code perf archive}'s
 * {@code .tar.bz2}: one or more concatenated streams, block by block (Huffman + MTF/RLE2 + inverse BWT
 * + RLE1), each block's CRC checked. Corrupt input is an IOException; memory is one block (at most
 * 900 kB of symbols, 3.6 MB of ints). Written from the format as bzip2 1.0's decompress.c lays it out.
 */
final class Bzip2InputStream extends InputStream {
    private static final long BLOCK_MAGIC = 0x314159265359L;
    private static final long END_MAGIC = 0x177245385090L;
    private static final int MAX_GROUPS = 6;
    private static final int MAX_ALPHA = 258;
    private static final int MAX_CODE_LEN = 20;
    private static final int GROUP_SIZE = 50;
    private static final int[] CRC = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i << 24;
            for (int k = 0; k < 8; k++) {
                c = (c & 0x80000000) != 0 ? (c << 1) ^ 0x04c11db7 : c << 1;
            }
            CRC[i] = c;
        }
    }

    private final InputStream in;
    private long bitBuf;
    private int bitCount;
    private int blockSize;
    private int[] tt;
    private boolean eof;
    private boolean streamOpen;
    // decoded block, after RLE1
    private byte[] out = new byte[0];
    private int outPos;
    private int outLen;

    Bzip2InputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (outPos == outLen) {
            if (eof || !nextBlock()) {
                eof = true;
                return -1;
            }
        }
        int n = Math.min(len, outLen - outPos);
        System.arraycopy(out, outPos, b, off, n);
        outPos += n;
        return n;
    }

    /** Decodes the next block into {@link #out}; false at the end of the last stream. */
    private boolean nextBlock() throws IOException {
        while (true) {
            if (!streamOpen) {
                if (!streamHeader()) {
                    return false;
                }
                streamOpen = true;
            }
            long magic = bits(48);
            if (magic == END_MAGIC) {
                bits(32); // combined CRC (each block's CRC is checked)
                bitCount -= bitCount % 8; // streams are byte-aligned
                streamOpen = false;
                continue;
            }
            if (magic != BLOCK_MAGIC) {
                throw new IOException("corrupt bzip2 data (bad block magic)");
            }
            block();
            return true;
        }
    }

    /** "BZh1".."BZh9"; false at a clean end of input. */
    private boolean streamHeader() throws IOException {
        int b = in.read();
        if (b < 0) {
            return false;
        }
        if (b != 'B' || in.read() != 'Z' || in.read() != 'h') {
            throw new IOException("corrupt bzip2 data (bad stream header)");
        }
        int level = in.read() - '0';
        if (level < 1 || level > 9) {
            throw new IOException("corrupt bzip2 data (bad block size)");
        }
        blockSize = level * 100_000;
        if (tt == null || tt.length < blockSize) {
            tt = new int[blockSize];
        }
        bitBuf = 0;
        bitCount = 0;
        return true;
    }

    private void block() throws IOException {
        int wantCrc = (int) bits(32);
        if (bits(1) != 0) {
            throw new IOException("corrupt bzip2 data (randomised blocks are not supported)");
        }
        int origPtr = (int) bits(24);
        // symbol map
        int[] seqToUnseq = new int[256];
        int nInUse = 0;
        int used = (int) bits(16);
        for (int i = 0; i < 16; i++) {
            if ((used & (0x8000 >>> i)) != 0) {
                int m = (int) bits(16);
                for (int j = 0; j < 16; j++) {
                    if ((m & (0x8000 >>> j)) != 0) {
                        seqToUnseq[nInUse++] = i * 16 + j;
                    }
                }
            }
        }
        if (nInUse == 0) {
            throw new IOException("corrupt bzip2 data (no symbols)");
        }
        int alphaSize = nInUse + 2;
        int nGroups = (int) bits(3);
        int nSelectors = (int) bits(15);
        if (nGroups < 2 || nGroups > MAX_GROUPS || nSelectors < 1) {
            throw new IOException("corrupt bzip2 data (bad Huffman groups)");
        }
        byte[] selectors = new byte[nSelectors];
        byte[] pos = new byte[MAX_GROUPS];
        for (int i = 0; i < nGroups; i++) {
            pos[i] = (byte) i;
        }
        for (int i = 0; i < nSelectors; i++) {
            int j = 0;
            while (bits(1) != 0) {
                if (++j >= nGroups) {
                    throw new IOException("corrupt bzip2 data (bad selector)");
                }
            }
            byte v = pos[j];
            System.arraycopy(pos, 0, pos, 1, j);
            pos[0] = v;
            selectors[i] = v;
        }
        int[][] limit = new int[nGroups][MAX_CODE_LEN + 2];
        int[][] base = new int[nGroups][MAX_CODE_LEN + 2];
        int[][] perm = new int[nGroups][MAX_ALPHA];
        int[] minLens = new int[nGroups];
        for (int t = 0; t < nGroups; t++) {
            int[] len = new int[alphaSize];
            int curr = (int) bits(5);
            for (int i = 0; i < alphaSize; i++) {
                while (true) {
                    if (curr < 1 || curr > MAX_CODE_LEN) {
                        throw new IOException("corrupt bzip2 data (bad code length)");
                    }
                    if (bits(1) == 0) {
                        break;
                    }
                    curr += bits(1) == 0 ? 1 : -1;
                }
                len[i] = curr;
            }
            minLens[t] = tables(len, alphaSize, limit[t], base[t], perm[t]);
        }
        // MTF + RLE2
        int[] yy = new int[256];
        for (int i = 0; i < 256; i++) {
            yy[i] = i;
        }
        int[] unzftab = new int[256];
        int eob = nInUse + 1;
        int nblock = 0;
        int groupIndex = -1;
        int groupPos = 0;
        int g = 0;
        int sym;
        int[] state = {groupIndex, groupPos, g};
        sym = symbol(selectors, limit, base, perm, minLens, state);
        while (sym != eob) {
            if (sym <= 1) {
                int es = 0;
                int n = 1;
                do {
                    es += (sym + 1) * n;
                    n <<= 1;
                    if (n > (1 << 24)) {
                        throw new IOException("corrupt bzip2 data (run too long)");
                    }
                    sym = symbol(selectors, limit, base, perm, minLens, state);
                } while (sym <= 1);
                int uc = seqToUnseq[yy[0]];
                if (es > blockSize - nblock) {
                    throw new IOException("corrupt bzip2 data (block overflow)");
                }
                unzftab[uc] += es;
                for (int k = 0; k < es; k++) {
                    tt[nblock++] = uc;
                }
                continue;
            }
            if (sym > eob || nblock >= blockSize) {
                throw new IOException("corrupt bzip2 data (bad symbol)");
            }
            int nn = sym - 1;
            int v = yy[nn];
            System.arraycopy(yy, 0, yy, 1, nn);
            yy[0] = v;
            int uc = seqToUnseq[v];
            unzftab[uc]++;
            tt[nblock++] = uc;
            sym = symbol(selectors, limit, base, perm, minLens, state);
        }
        if (origPtr < 0 || origPtr >= Math.max(1, nblock)) {
            throw new IOException("corrupt bzip2 data (bad origin pointer)");
        }
        // inverse BWT
        int[] cftab = new int[257];
        for (int i = 0; i < 256; i++) {
            cftab[i + 1] = cftab[i] + unzftab[i];
        }
        for (int i = 0; i < nblock; i++) {
            int uc = tt[i] & 0xFF;
            tt[cftab[uc]++] |= i << 8;
        }
        undoRle1(nblock, tt[origPtr] >>> 8, wantCrc);
    }

    /** BWT output through the RLE1 stage (4 equal bytes, then a count of more) into {@link #out}; checks the CRC. */
    private void undoRle1(int nblock, int tPos, int wantCrc) throws IOException {
        if (out.length < nblock * 2) {
            out = new byte[Math.max(nblock * 2, 1024)];
        }
        int n = 0;
        int crc = -1;
        int last = -1;
        int run = 0;
        for (int i = 0; i < nblock; i++) {
            tPos = tt[tPos];
            int ch = tPos & 0xFF;
            tPos >>>= 8;
            if (run == 4) {
                for (int k = 0; k < ch; k++) {
                    n = put(n, last);
                    crc = (crc << 8) ^ CRC[((crc >>> 24) ^ last) & 0xFF];
                }
                run = 0;
                last = -1;
                continue;
            }
            run = ch == last ? run + 1 : 1;
            last = ch;
            n = put(n, ch);
            crc = (crc << 8) ^ CRC[((crc >>> 24) ^ ch) & 0xFF];
        }
        if (~crc != wantCrc) {
            throw new IOException("corrupt bzip2 data (block CRC mismatch)");
        }
        outPos = 0;
        outLen = n;
    }

    private int put(int n, int ch) {
        if (n == out.length) {
            out = java.util.Arrays.copyOf(out, out.length * 2);
        }
        out[n] = (byte) ch;
        return n + 1;
    }

    /** The next Huffman symbol; {@code state} = group index, position in group, current group. */
    private int symbol(byte[] selectors, int[][] limit, int[][] base, int[][] perm, int[] minLens, int[] state)
            throws IOException {
        if (state[1] == 0) {
            if (++state[0] >= selectors.length) {
                throw new IOException("corrupt bzip2 data (out of selectors)");
            }
            state[1] = GROUP_SIZE;
            state[2] = selectors[state[0]];
        }
        state[1]--;
        int t = state[2];
        int zn = minLens[t];
        int zvec = (int) bits(zn);
        while (zn <= MAX_CODE_LEN && zvec > limit[t][zn]) {
            zn++;
            zvec = (zvec << 1) | (int) bits(1);
        }
        int idx = zvec - base[t][Math.min(zn, MAX_CODE_LEN)];
        if (zn > MAX_CODE_LEN || idx < 0 || idx >= MAX_ALPHA) {
            throw new IOException("corrupt bzip2 data (bad Huffman code)");
        }
        return perm[t][idx];
    }

    /** bzip2's hbCreateDecodeTables; returns the minimum code length. */
    private static int tables(int[] len, int alphaSize, int[] limit, int[] base, int[] perm) {
        int min = 32;
        int max = 0;
        for (int i = 0; i < alphaSize; i++) {
            min = Math.min(min, len[i]);
            max = Math.max(max, len[i]);
        }
        int pp = 0;
        for (int i = min; i <= max; i++) {
            for (int j = 0; j < alphaSize; j++) {
                if (len[j] == i) {
                    perm[pp++] = j;
                }
            }
        }
        int[] b = new int[MAX_CODE_LEN + 2];
        for (int i = 0; i < alphaSize; i++) {
            b[len[i] + 1]++;
        }
        for (int i = 1; i < b.length; i++) {
            b[i] += b[i - 1];
        }
        java.util.Arrays.fill(limit, 0);
        int vec = 0;
        for (int i = min; i <= max; i++) {
            vec += b[i + 1] - b[i];
            limit[i] = vec - 1;
            vec <<= 1;
        }
        for (int i = min + 1; i <= max; i++) {
            b[i] = ((limit[i - 1] + 1) << 1) - b[i];
        }
        for (int i = max + 1; i < limit.length; i++) {
            limit[i] = Integer.MAX_VALUE; // longer codes do not exist
        }
        System.arraycopy(b, 0, base, 0, base.length);
        return min;
    }

    private long bits(int n) throws IOException {
        while (bitCount < n) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("truncated bzip2 data");
            }
            bitBuf = (bitBuf << 8) | b;
            bitCount += 8;
        }
        bitCount -= n;
        return (bitBuf >>> bitCount) & ((1L << n) - 1);
    }
}
