"""FixedDaskRunner: Beam's DaskRunner with three gaps of the 2.77 release closed, so the batch graph runs on a
dask.distributed cluster unchanged: every sink is computed (not only the last leaf), a ParDo's tagged outputs stay
apart from its main output, and what finish_bundle emits is kept. Side inputs reach workers computed.

    --runner pipelines.runners.dask.FixedDaskRunner --dask_client_address tcp://scheduler:8786
"""
from __future__ import annotations

import functools

import dask
from apache_beam import TaggedOutput
from apache_beam.pvalue import PBegin
from apache_beam.runners.common import DoFnContext, DoFnInvoker, DoFnSignature, _OutputHandler
from apache_beam.runners.dask import transform_evaluator as te
from apache_beam.runners.dask.dask_runner import DaskOptions, DaskRunner, DaskRunnerResult
from apache_beam.runners.dask.overrides import dask_overrides
from apache_beam.transforms.sideinputs import SideInputMap
from apache_beam.transforms.core import DoFn


def _concat(*parts):
    return [x for part in parts for x in part]


def _run_bundle(items, invoker_args, invoker_kwargs, receivers, side_specs, *side_values):
    """One Dask partition = one bundle; returns (tag, value) pairs, finish_bundle's outputs included.
    Side inputs arrive computed (as dask dependencies), not as bags to compute from inside a worker."""
    if side_specs:
        invoker_kwargs = dict(invoker_kwargs, side_inputs=[
            SideInputMap(view_class, view_options, [te.get_windowed_value(x, window_fn) for x in values])
            for (view_class, view_options, window_fn), values in zip(side_specs, side_values)
        ])
    invoker = DoFnInvoker.create_invoker(*invoker_args, **invoker_kwargs)
    invoker.invoke_setup()
    invoker.invoke_start_bundle()
    for item in items:
        invoker.invoke_process(item)
    invoker.invoke_finish_bundle()
    invoker.invoke_teardown()
    return [(v.tag, v.value.value) if isinstance(v, TaggedOutput) else (None, v.value) for v in receivers.values]


class TaggedParDo(te.DaskBagOp):
    def apply(self, input_bag, side_inputs=None):
        transform = self.transform
        args, kwargs = transform.raw_side_inputs
        main_input = next(iter(self.applied.main_inputs.values()))
        window_fn = main_input.windowing.windowfn if hasattr(main_input, "windowing") else None
        receivers = te.OneReceiver()
        invoker_args = [
            DoFnSignature(transform.fn),
            _OutputHandler(window_fn=window_fn, main_receivers=receivers[None], tagged_receivers=receivers,
                           per_element_output_counter=None, output_batch_converter=None,
                           process_yields_batches=False, process_batch_yields_elements=False),
        ]
        side_inputs = side_inputs or []
        specs = [spec for spec, _ in side_inputs]
        values = [dask.delayed(_concat)(*bag.to_delayed()) for _, bag in side_inputs]
        invoker_kwargs = dict(context=DoFnContext(transform.label, state=None), side_inputs=None,
                              input_args=list(args), input_kwargs=kwargs, user_state_context=None,
                              bundle_finalizer_param=DoFn.BundleFinalizerParam())
        return input_bag.map(te.get_windowed_value, window_fn).map_partitions(
            _run_bundle, invoker_args, invoker_kwargs, receivers, specs, *values)


def _select(pair, tag):
    return pair[0] == tag


def _value(pair):
    return pair[1]


class _Result(DaskRunnerResult):
    def wait_until_finish(self, duration=None):
        state = super().wait_until_finish(duration)
        self.client.close()  # else it keeps trying to reach a scheduler that may already be gone
        return state


class FixedDaskRunner(DaskRunner):
    """DaskRunner that computes every sink, splits tagged outputs and keeps finish_bundle outputs."""

    def run_pipeline(self, pipeline, options):
        import dask
        import dask.distributed as ddist
        from apache_beam.pipeline import PipelineVisitor

        dask_options = options.view_as(DaskOptions).get_all_options(drop_default=True, current_only=True)
        bag_kwargs = DaskOptions._extract_bag_kwargs(dask_options)
        client = ddist.Client(**dask_options)
        pipeline.replace_all(dask_overrides())
        bags, consumed = {}, set()

        class Visitor(PipelineVisitor):
            def visit_transform(self, node):
                cls = node.transform.__class__
                op_class = TaggedParDo if cls is te.apache_beam.ParDo else te.TRANSLATIONS.get(cls, te.NoOp)
                op = op_class(node, bag_kwargs=bag_kwargs)
                inputs = []
                for pcoll in node.inputs:
                    if not isinstance(pcoll, PBegin):
                        consumed.add(pcoll)
                        inputs.append(bags[pcoll])
                kws = {"input_bag": None, "side_inputs": None}
                if inputs:
                    kws["input_bag"] = inputs if isinstance(op, te.Flatten) or len(inputs) > 1 else inputs[0]
                if node.side_inputs:
                    kws["side_inputs"] = []
                    for si in node.side_inputs:
                        consumed.add(si.pvalue)
                        spec = (type(si), si._view_options(), si._window_mapping_fn)
                        kws["side_inputs"].append((spec, bags[si.pvalue]))
                result = op.apply(**kws)
                for tag, pcoll in node.outputs.items():
                    if isinstance(op, TaggedParDo):  # the main output's tag is None
                        bags[pcoll] = result.filter(functools.partial(_select, tag=tag)).map(_value)
                    else:
                        bags[pcoll] = result

        pipeline.visit(Visitor())
        leaves = [bag for pcoll, bag in bags.items() if pcoll not in consumed]
        futures = client.compute(dask.optimize(*leaves))
        return _Result(client, futures)
