package io.kompactor.camel;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.List;

/** Aggregation strategy {@code collectSnapshots}: the snapshots of one host's quiet period become one {@link HostTrigger}. */
public final class SnapshotBatchStrategy implements AggregationStrategy {
    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        SnapshotEvent e = newExchange.getIn().getBody(SnapshotEvent.class);
        if (oldExchange == null) {
            newExchange.getIn().setBody(new HostTrigger(e.host(), "new snapshots", List.of(e.snapshotSequence())));
            return newExchange;
        }
        HostTrigger t = oldExchange.getIn().getBody(HostTrigger.class);
        List<Long> seqs = new ArrayList<>(t.snapshotSequences());
        seqs.add(e.snapshotSequence());
        oldExchange.getIn().setBody(new HostTrigger(t.host(), t.reason(), seqs));
        return oldExchange;
    }
}
