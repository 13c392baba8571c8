"""Where a graph's run spends its time: TensorFlow's step stats by op type,
for the benchmarks that print a breakdown."""
import collections


def op_type(node):
    """The op type of a traced node: timeline labels read 'name = Op(...)'."""
    label = node.timeline_label
    return label.split(" = ")[1].split("(")[0] if " = " in label \
        else node.node_name


def op_time_shares(session, fetches, feed_dict, runs):
    """({op type: share of the op time}, op microseconds per run) over
    `runs` traced runs of `fetches`, summed over threads."""
    from vae_digits.core.compat import tf
    micros = collections.Counter()
    options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
    for _ in range(runs):
        metadata = tf.RunMetadata()
        session.run(fetches, feed_dict, options=options,
                    run_metadata=metadata)
        for device in metadata.step_stats.dev_stats:
            for node in device.node_stats:
                micros[op_type(node)] += node.all_end_rel_micros
    total = sum(micros.values())
    return ({kind: t / total for kind, t in micros.most_common()},
            total / runs)
