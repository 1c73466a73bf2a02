// PyTorch's legacy names for sparse products, which torch._C keeps as aliases: spmm and dsmm
// are mm, hsmm is hspmm (a hybrid sparse result), saddmm is sspaddmm.
import { hspmm, mm, sspaddmm } from './generated/functions';

export const spmm = mm;
export const dsmm = mm;
export const hsmm = hspmm;
export const saddmm = sspaddmm;
