// torch.utils.data
export { Dataset, TensorDataset, Subset, randomSplit } from './dataset';
export { DataLoader, defaultCollate, type DataLoaderOptions } from './dataloader';
export * as datasets from './datasets';
export { DistributedSampler, type DistributedSamplerOptions } from './distributed-sampler';
