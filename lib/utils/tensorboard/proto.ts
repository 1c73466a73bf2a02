// The TensorBoard protocol buffers that SummaryWriter writes, defined with protobufjs's reflection
// API. Field numbers are TensorBoard's own (tensorboard/compat/proto/{event,summary,histogram,
// tensor,tensor_shape,types}.proto); only the fields written here are declared (readers skip the
// rest). Files are proto3: repeated numbers are packed and zero scalars outside a oneof are omitted.
import * as protobuf from 'protobufjs/light';

/** tensorboard.DataType values used here (types.proto). */
export const DataType = { DT_FLOAT: 1, DT_DOUBLE: 2, DT_STRING: 7 } as const;

/** tensorboard.SessionLog.SessionStatus values (event.proto). */
export const SessionStatus = { START: 1, STOP: 2, CHECKPOINT: 3 } as const;

const field = (type: string, id: number) => ({ type, id });
const repeated = (type: string, id: number) => ({ rule: 'repeated', type, id });

const schema = {
  nested: {
    tensorboard: {
      nested: {
        Event: {
          oneofs: { what: { oneof: ['fileVersion', 'summary', 'sessionLog'] } },
          fields: {
            wallTime: field('double', 1),
            step: field('int64', 2),
            fileVersion: field('string', 3),
            summary: field('Summary', 5),
            sessionLog: field('SessionLog', 7),
            sourceMetadata: field('SourceMetadata', 10),
          },
        },
        SourceMetadata: { fields: { writer: field('string', 1) } },
        SessionLog: { fields: { status: field('int32', 1), checkpointPath: field('string', 2), msg: field('string', 3) } },
        Summary: {
          fields: { value: repeated('Value', 1) },
          nested: {
            Image: {
              fields: {
                height: field('int32', 1),
                width: field('int32', 2),
                colorspace: field('int32', 3),
                encodedImageString: field('bytes', 4),
              },
            },
            Value: {
              oneofs: { value: { oneof: ['simpleValue', 'image', 'histo', 'tensor'] } },
              fields: {
                tag: field('string', 1),
                metadata: field('SummaryMetadata', 9),
                simpleValue: field('float', 2),
                image: field('Image', 4),
                histo: field('HistogramProto', 5),
                tensor: field('TensorProto', 8),
              },
            },
          },
        },
        SummaryMetadata: {
          fields: {
            pluginData: field('PluginData', 1),
            displayName: field('string', 2),
            summaryDescription: field('string', 3),
          },
          nested: { PluginData: { fields: { pluginName: field('string', 1), content: field('bytes', 2) } } },
        },
        HistogramProto: {
          fields: {
            min: field('double', 1),
            max: field('double', 2),
            num: field('double', 3),
            sum: field('double', 4),
            sumSquares: field('double', 5),
            bucketLimit: repeated('double', 6),
            bucket: repeated('double', 7),
          },
        },
        TensorProto: {
          fields: {
            dtype: field('int32', 1), // enum DataType: an int32 on the wire
            tensorShape: field('TensorShapeProto', 2),
            floatVal: repeated('float', 5),
            doubleVal: repeated('double', 6),
            stringVal: repeated('bytes', 8),
          },
        },
        TensorShapeProto: {
          fields: { dim: repeated('Dim', 2) },
          nested: { Dim: { fields: { size: field('int64', 1), name: field('string', 2) } } },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(schema);
const EventType = root.lookupType('tensorboard.Event');

/** Summary.Image: a PNG with its size and channel count. */
export interface ImageProto { height: number; width: number; colorspace: number; encodedImageString: Uint8Array }

/** HistogramProto: bucket[i] counts values in (bucketLimit[i-1], bucketLimit[i]]. */
export interface HistogramProto {
  min: number; max: number; num: number; sum: number; sumSquares: number;
  bucketLimit: number[]; bucket: number[];
}

/** TensorProto, limited to the value lists SummaryWriter writes. */
export interface TensorProto {
  dtype: number;
  tensorShape?: { dim: { size: number; name?: string }[] };
  floatVal?: number[]; doubleVal?: number[]; stringVal?: Uint8Array[];
}

/** SummaryMetadata: which TensorBoard plugin reads the value. */
export interface SummaryMetadata {
  pluginData?: { pluginName: string; content?: Uint8Array };
  displayName?: string; summaryDescription?: string;
}

/** Summary.Value: a tag and one kind of value. */
export interface SummaryValue {
  tag: string;
  metadata?: SummaryMetadata;
  simpleValue?: number; image?: ImageProto; histo?: HistogramProto; tensor?: TensorProto;
}

/** Summary: the values logged at one step. */
export interface Summary { value: SummaryValue[] }

/** Event: one record of an event file. */
export interface Event {
  wallTime: number;
  step?: number;
  fileVersion?: string;
  summary?: Summary;
  sessionLog?: { status: number; checkpointPath?: string; msg?: string };
  sourceMetadata?: { writer: string };
}

/** The Event's protobuf bytes. */
export function encodeEvent(event: Event): Uint8Array {
  return EventType.encode(EventType.fromObject(event)).finish();
}

/** An Event decoded from protobuf bytes (int64 steps as numbers). */
export function decodeEvent(bytes: Uint8Array): Event {
  return EventType.toObject(EventType.decode(bytes), { longs: Number }) as Event;
}
