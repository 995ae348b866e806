import { evaluateDynamic, type DynamicContext } from '../../src/resolve/dynamic.js';

/** What `{{$name args}}` gives in `context`; a test that expects a value fails on an error, and the reverse. */
export function dynamicEvaluator(context: DynamicContext): { value(name: string, args?: string): string; error(name: string, args?: string): string } {
  return {
    value(name, args = '') {
      const result = evaluateDynamic(name, args, context);
      if ('error' in result) throw new Error(`expected a value for $${name} ${args}, got error: ${result.error}`);
      return result.value;
    },
    error(name, args = '') {
      const result = evaluateDynamic(name, args, context);
      if ('value' in result) throw new Error(`expected an error for $${name} ${args}, got value: ${result.value}`);
      return result.error;
    },
  };
}
