// Comparison of the supergraph's public API with the public contract.
//
// The contract lists, subgraph by subgraph, what clients are written against, so the same
// type (Customer, Query, Mutation, ...) is declared several times there: its declarations
// are merged before comparing. Everything in the contract must be in the supergraph with
// the same type, nullability and default; the supergraph may offer more, as long as what
// it adds cannot break a client of the contract (no new required argument or input field).

import { transformSupergraphToPublicSchema } from '@theguild/federation-composition';
import { Kind, parse, print } from 'graphql';

const KIND_NAMES = {
  object: 'an object type',
  interface: 'an interface',
  input: 'an input type',
  enum: 'an enum',
  union: 'a union',
  scalar: 'a scalar',
};

/** The public API (federation machinery removed) of a supergraph SDL, as SDL. */
export function publicSdlOfSupergraph(supergraphSdl) {
  return print(transformSupergraphToPublicSchema(parse(supergraphSdl)));
}

/**
 * Differences between a contract SDL and a public schema SDL: a list of readable lines,
 * empty when the schema offers everything the contract promises.
 */
export function compareWithContract(contractSdl, publicSdl) {
  const problems = [];
  const contract = collectTypes(parse(contractSdl), (message) =>
    problems.push(`contract itself: ${message}`),
  );
  const actual = collectTypes(parse(publicSdl), (message) =>
    problems.push(`supergraph itself: ${message}`),
  );

  for (const expected of contract.values()) {
    const found = actual.get(expected.name);
    if (!found) {
      problems.push(`missing type ${expected.name} (${KIND_NAMES[expected.kind]})`);
      continue;
    }
    if (found.kind !== expected.kind) {
      problems.push(
        `${expected.name} is ${KIND_NAMES[expected.kind]} in the contract ` +
          `but ${KIND_NAMES[found.kind]} in the supergraph`,
      );
      continue;
    }
    switch (expected.kind) {
      case 'object':
      case 'interface':
        compareFields(expected, found, problems);
        break;
      case 'input':
        compareInputFields(expected, found, problems);
        break;
      case 'enum':
        for (const value of expected.values) {
          if (!found.values.has(value)) problems.push(`missing enum value ${expected.name}.${value}`);
        }
        break;
      case 'union':
        for (const member of expected.members) {
          if (!found.members.has(member)) problems.push(`missing union member ${expected.name} = ... | ${member}`);
        }
        break;
      default:
        break; // a scalar has nothing but its name
    }
  }
  return problems;
}

function compareFields(expected, found, problems) {
  for (const field of expected.fields.values()) {
    const path = `${expected.name}.${field.name}`;
    const actual = found.fields.get(field.name);
    if (!actual) {
      problems.push(`missing field ${path}${signature(field)}: ${field.type}`);
      continue;
    }
    if (actual.type !== field.type) {
      problems.push(`${path}: type differs: contract ${field.type}, supergraph ${actual.type}`);
    }
    for (const argument of field.arguments.values()) {
      const argumentPath = `${path}(${argument.name}:)`;
      const actualArgument = actual.arguments.get(argument.name);
      if (!actualArgument) {
        problems.push(`missing argument ${argumentPath}: ${describeValue(argument)}`);
        continue;
      }
      compareValue(argumentPath, argument, actualArgument, problems);
    }
    for (const extra of actual.arguments.values()) {
      if (!field.arguments.has(extra.name) && isRequired(extra)) {
        problems.push(
          `${path}(${extra.name}:): argument not in the contract is required ` +
            `(${extra.type} without a default): clients of the contract cannot call ${path}`,
        );
      }
    }
  }
}

function compareInputFields(expected, found, problems) {
  for (const field of expected.fields.values()) {
    const path = `${expected.name}.${field.name}`;
    const actual = found.fields.get(field.name);
    if (!actual) {
      problems.push(`missing input field ${path}: ${describeValue(field)}`);
      continue;
    }
    compareValue(path, field, actual, problems);
  }
  for (const extra of found.fields.values()) {
    if (!expected.fields.has(extra.name) && isRequired(extra)) {
      problems.push(
        `${expected.name}.${extra.name}: input field not in the contract is required ` +
          `(${extra.type} without a default): inputs written to the contract are rejected`,
      );
    }
  }
}

// An argument or input field: same type, same default.
function compareValue(path, expected, actual, problems) {
  if (actual.type !== expected.type) {
    problems.push(`${path}: type differs: contract ${expected.type}, supergraph ${actual.type}`);
  }
  if (actual.defaultValue !== expected.defaultValue) {
    const show = (value) => (value === null ? 'no default' : `default ${value}`);
    problems.push(
      `${path}: default differs: contract ${show(expected.defaultValue)}, ` +
        `supergraph ${show(actual.defaultValue)}`,
    );
  }
}

function isRequired(value) {
  return value.type.endsWith('!') && value.defaultValue === null;
}

function signature(field) {
  if (field.arguments.size === 0) return '';
  return `(${[...field.arguments.values()].map((a) => `${a.name}: ${describeValue(a)}`).join(', ')})`;
}

function describeValue(value) {
  return value.defaultValue === null ? value.type : `${value.type} = ${value.defaultValue}`;
}

/**
 * The named types of a document, with repeated declarations and extensions of the same
 * type merged. A field declared twice with different signatures is reported.
 */
function collectTypes(document, report) {
  const types = new Map();
  const typeOf = (name, kind) => {
    let type = types.get(name);
    if (!type) {
      type = { name, kind, fields: new Map(), values: new Set(), members: new Set() };
      types.set(name, type);
    } else if (type.kind !== kind) {
      report(`${name} is declared both as ${KIND_NAMES[type.kind]} and as ${KIND_NAMES[kind]}`);
    }
    return type;
  };

  for (const definition of document.definitions) {
    const kind = kindOf(definition.kind);
    if (!kind) continue; // schema definitions and directive definitions are not compared
    const type = typeOf(definition.name.value, kind);
    for (const node of definition.fields ?? []) {
      const field = {
        name: node.name.value,
        type: print(node.type),
        defaultValue: defaultOf(node),
        arguments: new Map(
          (node.arguments ?? []).map((argument) => [
            argument.name.value,
            { name: argument.name.value, type: print(argument.type), defaultValue: defaultOf(argument) },
          ]),
        ),
      };
      const previous = type.fields.get(field.name);
      if (previous && fieldKey(previous) !== fieldKey(field)) {
        report(`${type.name}.${field.name} is declared twice, differently`);
      }
      // The fuller declaration wins, so that no argument of either one is lost.
      if (!previous || field.arguments.size >= previous.arguments.size) type.fields.set(field.name, field);
    }
    for (const value of definition.values ?? []) type.values.add(value.name.value);
    for (const member of definition.types ?? []) type.members.add(member.name.value);
  }
  return types;
}

function kindOf(astKind) {
  switch (astKind) {
    case Kind.OBJECT_TYPE_DEFINITION:
    case Kind.OBJECT_TYPE_EXTENSION:
      return 'object';
    case Kind.INTERFACE_TYPE_DEFINITION:
    case Kind.INTERFACE_TYPE_EXTENSION:
      return 'interface';
    case Kind.INPUT_OBJECT_TYPE_DEFINITION:
    case Kind.INPUT_OBJECT_TYPE_EXTENSION:
      return 'input';
    case Kind.ENUM_TYPE_DEFINITION:
    case Kind.ENUM_TYPE_EXTENSION:
      return 'enum';
    case Kind.UNION_TYPE_DEFINITION:
    case Kind.UNION_TYPE_EXTENSION:
      return 'union';
    case Kind.SCALAR_TYPE_DEFINITION:
    case Kind.SCALAR_TYPE_EXTENSION:
      return 'scalar';
    default:
      return null;
  }
}

// A printed default value, or null when there is none. An explicit `= null` on a nullable
// argument means what no default means (the argument is null when omitted), and some
// schema builders print one, so the two are treated as the same.
function defaultOf(node) {
  if (!node.defaultValue || node.defaultValue.kind === Kind.NULL) return null;
  return print(node.defaultValue);
}

function fieldKey(field) {
  const args = [...field.arguments.values()]
    .map((a) => `${a.name}:${a.type}=${a.defaultValue}`)
    .sort()
    .join(',');
  return `${field.type}(${args})`;
}
