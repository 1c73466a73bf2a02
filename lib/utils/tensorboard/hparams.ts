// Hyperparameter summaries for TensorBoard's HParams tab, as torch.utils.tensorboard.summary's
// hparams() builds them: three values (the experiment, the session start with each
// hyperparameter's value, the session end) whose metadata carries a serialized
// HParamsPluginData (tensorboard/plugins/hparams/{plugin_data,api}.proto, google/protobuf/struct.proto).
import * as protobuf from 'protobufjs/light';
import { Tensor } from '../../tensor';
import type { Summary } from './proto';

const field = (type: string, id: number) => ({ type, id });
const repeated = (type: string, id: number) => ({ rule: 'repeated', type, id });

const root = protobuf.Root.fromJSON({
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Value: {
              oneofs: { kind: { oneof: ['numberValue', 'stringValue', 'boolValue', 'listValue'] } },
              fields: { numberValue: field('double', 2), stringValue: field('string', 3), boolValue: field('bool', 4), listValue: field('ListValue', 6) },
            },
            ListValue: { fields: { values: repeated('Value', 1) } },
          },
        },
      },
    },
    tensorboard: {
      nested: {
        hparams: {
          nested: {
            HParamsPluginData: {
              oneofs: { data: { oneof: ['experiment', 'sessionStartInfo', 'sessionEndInfo'] } },
              fields: {
                version: field('int32', 1),
                experiment: field('Experiment', 2),
                sessionStartInfo: field('SessionStartInfo', 3),
                sessionEndInfo: field('SessionEndInfo', 4),
              },
            },
            Experiment: { fields: { hparamInfos: repeated('HParamInfo', 4), metricInfos: repeated('MetricInfo', 5) } },
            HParamInfo: {
              oneofs: { domain: { oneof: ['domainDiscrete'] } },
              fields: { name: field('string', 1), type: field('int32', 4), domainDiscrete: field('google.protobuf.ListValue', 5) },
            },
            MetricInfo: { fields: { name: field('MetricName', 1) } },
            MetricName: { fields: { group: field('string', 1), tag: field('string', 2) } },
            SessionStartInfo: { fields: { hparams: { keyType: 'string', type: 'google.protobuf.Value', id: 1 } as protobuf.IMapField } },
            SessionEndInfo: { fields: { status: field('int32', 1) } },
          },
        },
      },
    },
  },
});
const PluginData = root.lookupType('tensorboard.hparams.HParamsPluginData');

/** api.proto's DataType and Status values used here. */
const DATA_TYPE_STRING = 1;
const DATA_TYPE_FLOAT64 = 3;
const STATUS_SUCCESS = 1;

/** A hyperparameter's value: numbers and booleans are logged as numbers (as Python's bool is an int). */
export type HParamValue = number | boolean | string | Tensor | null | undefined;

/** The HParamsPluginData message, decoded (for tests and readers). */
export function decodeHParamsPluginData(bytes: Uint8Array): Record<string, unknown> {
  return PluginData.toObject(PluginData.decode(bytes), { defaults: false }) as Record<string, unknown>;
}

function summary(tag: string, data: Record<string, unknown>): Summary {
  const content = PluginData.encode(PluginData.fromObject({ version: 0, ...data })).finish();
  return { value: [{ tag, metadata: { pluginData: { pluginName: 'hparams', content } } }] };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Tensor);

/**
 * PyTorch's summary.hparams: the experiment (each hyperparameter's name and type, with its
 * discrete domain if given, and the metrics' tags), the session's values, and its end.
 */
export function hparams(hparamDict: Record<string, HParamValue>, metricDict: Record<string, unknown>,
  hparamDomainDiscrete: Record<string, (number | boolean | string)[]> = {}): [Summary, Summary, Summary] {
  if (!isPlainObject(hparamDict)) throw new TypeError('parameter: hparam_dict should be a dictionary, nothing logged.');
  if (!isPlainObject(metricDict)) throw new TypeError('parameter: metric_dict should be a dictionary, nothing logged.');
  if (!isPlainObject(hparamDomainDiscrete)) throw new TypeError('parameter: hparam_domain_discrete should be a dictionary, nothing logged.');
  for (const [k, v] of Object.entries(hparamDomainDiscrete)) {
    const kind = (x: unknown) => (typeof x === 'boolean' ? 'number' : typeof x);
    if (!(k in hparamDict) || !Array.isArray(v) || !v.every((d) => kind(d) === kind(hparamDict[k]))) {
      throw new TypeError(`parameter: hparam_domain_discrete[${k}] should be a list of same type as hparam_dict[${k}].`);
    }
  }
  const values: Record<string, Record<string, unknown>> = {};
  const infos: Record<string, unknown>[] = [];
  for (const [name, given] of Object.entries(hparamDict)) {
    if (given === null || given === undefined) continue;
    const v = given instanceof Tensor ? Number(given.flatten().select(0, 0).item()) : given;
    if (typeof v === 'string') {
      values[name] = { stringValue: v };
    } else if (typeof v === 'number' || typeof v === 'boolean') {
      values[name] = { numberValue: Number(v) };
    } else {
      throw new TypeError('value should be one of int, float, str, bool, or torch.Tensor');
    }
    const type = typeof v === 'string' ? DATA_TYPE_STRING : DATA_TYPE_FLOAT64;
    const domain = given instanceof Tensor ? undefined : hparamDomainDiscrete[name];
    const domainDiscrete = domain && {
      values: domain.map((d) => (typeof d === 'string' ? { stringValue: d } : { numberValue: Number(d) })),
    };
    infos.push({ name, type, ...(domainDiscrete ? { domainDiscrete } : {}) });
  }
  const metricInfos = Object.keys(metricDict).map((tag) => ({ name: { tag } }));
  return [
    summary('_hparams_/experiment', { experiment: { hparamInfos: infos, metricInfos } }),
    summary('_hparams_/session_start_info', { sessionStartInfo: { hparams: values } }),
    summary('_hparams_/session_end_info', { sessionEndInfo: { status: STATUS_SUCCESS } }),
  ];
}
