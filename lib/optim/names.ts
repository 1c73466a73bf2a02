// PyTorch's snake_case names (in a state_dict written by Python and read with torch.load) to
// torch-node's camelCase: weight_decay -> weightDecay, _step_count -> _stepCount, T_max -> tMax.
export function camelName(name: string): string {
  const lead = /^_*/.exec(name)![0];
  const body = name.slice(lead.length);
  if (!body.includes('_')) return name;
  const camel = body.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
  return lead + camel[0].toLowerCase() + camel.slice(1);
}
