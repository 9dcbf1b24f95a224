package io.kompactor.plan;

import io.kompactor.snapshot.HostMetadata;
import io.kompactor.snapshot.ServerView;

import java.util.List;

/** The planner's answer for one host: the plans, the view they came from, and the files it left alone and why. */
public record HostPlan(HostMetadata metadata, ServerView view, List<CompactionPlan> plans, List<String> notes) {
    public HostPlan {
        plans = List.copyOf(plans);
        notes = List.copyOf(notes);
    }
}
