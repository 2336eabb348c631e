package dev.droptop.run;

import dev.droptop.lab.LabTable;
import dev.droptop.model.Snapshot;
import dev.droptop.report.JsonReport;
import dev.droptop.report.TextReport;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The lab table's dropped flows, written by the reports' own flows code: the text section of the top
 * {@link #POINTS} drop points and the JSON flows[] of every point, {@link #PER_POINT} flows each, the
 * rest as one "(other flows)" entry.
 */
final class ReportFlows implements LabTable.Flows {
    static final int PER_POINT = 5;
    static final int POINTS = 3;

    @Override
    public String text(Snapshot drops, String indent) {
        StringWriter w = new StringWriter();
        PrintWriter out = new PrintWriter(w);
        TextReport.writeFlows(drops, POINTS, PER_POINT, indent, out);
        out.flush();
        return w.toString();
    }

    @Override
    public String json(Snapshot drops) {
        return JsonReport.flowsArray(drops, PER_POINT);
    }
}
