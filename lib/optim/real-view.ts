// Complex parameters are updated through their real views (PyTorch's view_as_real), so the
// element-wise rules of Adam, RMSprop, Adagrad and Adadelta treat real and imaginary parts alike.
import type { Tensor } from '../tensor';
import { viewAsReal } from '../generated/functions';

/** The tensor itself if real, else its (..., 2) real view sharing memory. */
export function realView(t: Tensor): Tensor {
  return t.isComplex() ? viewAsReal(t) : t;
}
