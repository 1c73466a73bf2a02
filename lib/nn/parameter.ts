// nn.Parameter: a Tensor that a Module reports from parameters(). Like PyTorch's, it shares
// memory with the tensor it is made from, detached from that tensor's graph.
import { Tensor } from '../tensor';

export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    const alias = data.detach();
    super(alias._h);
    this.requiresGrad_(requiresGrad);
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}
