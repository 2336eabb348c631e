package dev.droptop.capture;

/**
 * The droptop capture format, version {@value #VERSION}: JSON Lines, UTF-8, one JSON object per line,
 * every line terminated by {@code \n}. The full spec with field tables is {@code docs/capture-format.md}.
 *
 * <pre>
 * {"type":"header","format":"droptop-capture","version":2,"droptop":"0.1.0","host":"vm1","kernel":"6.18.44",
 *  "backend":"perf","command":["perf","record","-e","skb:kfree_skb","-a","-g","-o","-"],"source":"live",
 *  "startTime":"2026-11-23T09:30:00Z","startNanos":123456789,"intervalNanos":1000000000,
 *  "reasons":{"2":"NOT_SPECIFIED","3":"NO_SOCKET"},"sysctl":{"net.netfilter.nf_conntrack_max":"262144"}}
 * {"type":"stack","id":1,"frames":["nf_hook_slow","ip_rcv","__netif_receive_skb_one_core"]}
 * {"type":"interval","index":0,"start":123456789,"end":1123456789,"lost":0,
 *  "drops":[{"symbol":"nf_hook_slow","offset":125,"reason":"NETFILTER_DROP","protocol":2048,"stack":1,"count":818}],
 *  "system":{"conntrack.count":812,"conntrack.max":1000}}
 * {"type":"end","time":2123456789,"total":1822,"lost":0,"status":"completed","message":"",
 *  "warnings":{"weird stack line":3}}
 * </pre>
 * (Records are wrapped here for width; in the file each is a single line.)
 *
 * <ul>
 *   <li><b>header</b>: always line 1. {@code format} is the magic {@value #MAGIC}; {@code version} the
 *       format version. Required: every field shown except {@code reasons} and {@code sysctl} (default
 *       empty). Times: {@code startTime} is wall clock (ISO-8601), {@code startNanos}, interval
 *       {@code start}/{@code end} and end {@code time} are trace-clock nanoseconds.</li>
 *   <li><b>stack</b>: defines stack {@code id} (&gt; 0) once, before the first interval that uses it.
 *       Frames are innermost first, starting at the drop location.</li>
 *   <li><b>interval</b>: one closed aggregation window. Required: {@code index, start, end, lost, drops};
 *       per drop {@code symbol, reason, count} (≥ 0). Optional per drop, omitted when unknown:
 *       {@code offset} (-1), {@code protocol} (ethertype, -1), {@code stack} (0 = none), {@code netns}
 *       (0), {@code device} (""). {@code system} is an optional flat map of counter name to integer.</li>
 *   <li><b>netns</b>: {@code {"type":"netns","inode":4026532177,"name":"blue","pid":812,"comm":"sleep",
 *       "runtime":"docker","container":"3f2a..","pod":"8d3c..","podName":"web/nginx","host":false}}: what the
 *       writer knew about a network namespace the drops name, written once before the first interval that
 *       uses the inode. Required: {@code inode} (&gt; 0); the rest optional (unknown when absent).
 *       Added without a version bump (older readers skip it with a counted warning).</li>
 *   <li><b>flows</b> (version 2): the drops per 5-tuple of the interval with the same {@code index}, written
 *       just before that interval's line (only by sources that read packet headers: bpftrace with
 *       {@code --flows}); the header's {@code flows} says whether the capture has them.</li>
 *   <li><b>end</b>: written when the capture stops. Required: {@code time, total, lost, status}; optional
 *       {@code message}, {@code warnings} (kind to count). No end record means the writer was killed.</li>
 * </ul>
 * Readers skip records of unknown {@code type} with a counted warning, so additions that need no
 * version bump (a new record type, a new optional field) stay readable by older droptops. Removing
 * or renaming a field bumps {@link #VERSION} and adds entries to {@link Compat#STANDARD}. Blank lines
 * are ignored. A last line without its {@code \n} that is not valid JSON is a torn write and is
 * tolerated; any other malformed line is an error naming the file and line.
 */
public final class CaptureFormat {
    /** Value of the header's {@code format} field. */
    public static final String MAGIC = "droptop-capture";
    /** The version this droptop writes, and the newest it reads. */
    public static final int VERSION = 2;
    /** Longest line a reader accepts; longer lines are corruption, not data. */
    public static final int MAX_LINE = 4 << 20;

    static final String HEADER = "header";
    static final String STACK = "stack";
    static final String INTERVAL = "interval";
    static final String END = "end";
    static final String NETNS = "netns";
    static final String FLOWS = "flows";

    private CaptureFormat() {
    }
}
