// Types shared by torch.nn's modules and functions.

/** A size per spatial dimension, or one number for all of them (PyTorch's `_size_any_t`). */
export type Size = number | number[];
