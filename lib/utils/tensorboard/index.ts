// torch.utils.tensorboard
export { SummaryWriter, defaultLogDir, type SummaryWriterOptions, type HistogramOptions, type ImageOptions } from './writer';
export { EventFileWriter, type EventFileWriterOptions } from './event-file-writer';
export { makeHistogram, defaultBins, type HistogramBins } from './histogram';
export { makeImage, convertToHWC, type ImageFormat } from './image';
export type { ScalarLike, ScalarOptions } from './summary';
export { decodeHParamsPluginData, type HParamValue } from './hparams';
export type { EmbeddingMetadata, EmbeddingOptions } from './embedding';
export * as summary from './summary';
export { encodeRecord, decodeRecords, crc32c, maskedCrc32c } from './record';
export { encodeEvent, decodeEvent, type Event, type Summary, type SummaryValue, type HistogramProto, type ImageProto, type TensorProto, type SummaryMetadata } from './proto';
