// torch.distributed: PyTorch's c10d from Node (Gloo process groups on CPU tensors), with
// rendezvous as torch.distributed's (env:// under scripts/launch.mjs, tcp://, file://).
export { Store, TCPStore, FileStore, PrefixStore, type StoreOptions } from './store';
export {
  ProcessGroup, initProcessGroup, destroyProcessGroup, isInitialized, getRank, getWorldSize, getBackend, isAvailable,
  isGlooAvailable, isNcclAvailable, type InitProcessGroupOptions,
} from './process-group';
export { ReduceOp, allReduce, broadcast, allGather, barrier, type CollectiveOptions, type AllReduceOptions } from './collectives';
