package io.kompactor.camel;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.List;

/**
 * Aggregation strategy {@code collectChanges} (alias {@code collectSnapshots}): the metadata changes of one host's quiet
 * period become one {@link HostTrigger}, naming the new snapshots among them.
 */
public final class SnapshotBatchStrategy implements AggregationStrategy {
    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        MetadataEvent e = newExchange.getIn().getBody(MetadataEvent.class);
        if (oldExchange == null) {
            newExchange.getIn().setBody(new HostTrigger(e.host(), "metadata changed", sequences(List.of(), e)));
            return newExchange;
        }
        HostTrigger t = oldExchange.getIn().getBody(HostTrigger.class);
        oldExchange.getIn().setBody(new HostTrigger(t.host(), t.reason(), sequences(t.snapshotSequences(), e)));
        return oldExchange;
    }

    private static List<Long> sequences(List<Long> so, MetadataEvent e) {
        List<Long> out = new ArrayList<>(so);
        if (e.kind() == io.kompactor.snapshot.DocKind.SNAPSHOT) {
            java.util.regex.Matcher m = io.kompactor.snapshot.Snapshot.FILE_NAME.matcher(e.path().getFileName().toString());
            if (m.matches()) {
                out.add(-1L - Long.parseUnsignedLong(m.group(1)));
            }
        }
        return out;
    }
}
