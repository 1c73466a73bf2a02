// torch.optim.lrScheduler: every scheduler, from the files that define them.
export * from './lr-scheduler';
export * from './lr-scheduler-extra';
export * from './lr-scheduler-composite';
