// torch.export and torch._inductor, as far as torch-node goes: loading and running the .pt2
// packages that AOTInductor compiles (aoti.ts). index.ts exposes these two namespaces under
// PyTorch's names (`export` is a reserved word, so they are named here and renamed there).
import * as exportNamespace from './aoti';
import { loadPackage, type AOTICompiledModel, type LoadPackageOptions } from './aoti';

/** torch._inductor: PyTorch's own names for loading AOTInductor packages. */
export const inductorNamespace = {
  /** Python's `torch._inductor.aoti_load_package(path, run_single_threaded=False, device_index=-1)`. */
  aotiLoadPackage(path: string, options: Pick<LoadPackageOptions, 'runSingleThreaded' | 'deviceIndex'> = {}): AOTICompiledModel {
    return loadPackage(path, options);
  },
  package: {
    /** Python's `torch._inductor.package.load_package(path, model_name="model", ...)`. */
    loadPackage(path: string, modelName = 'model', options: Omit<LoadPackageOptions, 'modelName'> = {}): AOTICompiledModel {
      return loadPackage(path, { ...options, modelName });
    },
  },
};

export { exportNamespace };
