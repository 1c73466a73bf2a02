// PyTorch's snake_case names (in a state_dict written by Python and read with torch.load) to
// torch-node's camelCase: weight_decay -> weightDecay, _step_count -> _stepCount, T_max -> tMax;
// and back (pythonName), for state dicts that Python's load_state_dict takes.
export function camelName(name: string): string {
  const lead = /^_*/.exec(name)![0];
  const body = name.slice(lead.length);
  if (!body.includes('_')) return name;
  const camel = body.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
  return lead + camel[0].toLowerCase() + camel.slice(1);
}

// The names whose capitals PyTorch keeps (LBFGS's H_diag, the schedulers' T_max).
const PYTHON_SPELLINGS: Record<string, string> = { hDiag: 'H_diag', tMax: 'T_max' };

export function pythonName(name: string): string {
  return PYTHON_SPELLINGS[name] ?? name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
