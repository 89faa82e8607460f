// An estimate of what an operation costs, refused above a limit before any subgraph is
// called.
//
// Hive Gateway's own demand control is not used for this: it counts per subgraph request
// (so an expensive operation is refused only once its first subgraphs have answered) and
// its assumed list size does not apply to non-null lists, which is every list here. The
// model below is that of demand control without those two gaps:
//
//   - every field returning an object (or interface, union) costs 1;
//   - each one is counted as many times as it can occur in the answer: a field with a
//     `first` argument (a connection) yields `first` items, the argument's value or its
//     default; any other list is assumed to hold `assumedListSize` items per level.
//
// On the contract's schema a full customer card (20 notes, 20 receipts with their items,
// 20 bonus operations, 50 messages) comes to about 570 and a client-list page of 200
// customers to about 2,600, while 200 customers with 20 receipts each comes to 8,600.

import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  GraphQLError,
  isCompositeType,
  isListType,
  Kind,
  typeFromAST,
} from 'graphql';

/**
 * The estimated cost of the operation `operationName` of `document`, or null when it
 * cannot be estimated (unknown operation, invalid variables: execution reports those).
 */
export function estimateCost({ schema, document, operationName, variableValues, assumedListSize }) {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation) return null;
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return null;

  const variables = getVariableValues(schema, operation.variableDefinitions ?? [], variableValues ?? {});
  if (variables.errors) return null;

  const fragments = new Map(
    document.definitions
      .filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );

  // `multiplier` is how many times the selection set occurs in the answer; `slice` is the
  // `first` of the connection whose fields these are, which sizes its edges list.
  const costOf = (parentType, selectionSet, multiplier, slice, activeFragments) => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? typeFromAST(schema, selection.typeCondition) : parentType;
        if (type) cost += costOf(type, selection.selectionSet, multiplier, slice, activeFragments);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || activeFragments.has(name)) continue; // cycles are a validation error
        const type = typeFromAST(schema, fragment.typeCondition);
        if (type) {
          cost += costOf(type, fragment.selectionSet, multiplier, slice, new Set([...activeFragments, name]));
        }
        continue;
      }
      // A field: introspection costs nothing (its size is the schema's, not the data's).
      const name = selection.name.value;
      if (name.startsWith('__') || typeof parentType.getFields !== 'function') continue;
      const field = parentType.getFields()[name];
      if (!field) continue; // unknown fields are a validation error

      // A field taking `first` returns that many items: as a list, or as a connection
      // (counted once) whose edges list holds them.
      let first = null;
      if (field.args.some((argument) => argument.name === 'first')) {
        const value = getArgumentValues(field, selection, variables.coerced).first;
        first = Number.isInteger(value) && value >= 0 ? value : assumedListSize;
      }
      const returnsList = isListType(getNullableType(field.type));
      const count =
        multiplier * listFactor(field.type, first ?? slice ?? assumedListSize, assumedListSize);
      const namedType = getNamedType(field.type);
      if (isCompositeType(namedType)) cost += count;
      if (selection.selectionSet) {
        const childSlice = first !== null && !returnsList ? first : null;
        cost += costOf(namedType, selection.selectionSet, count, childSlice, activeFragments);
      }
    }
    return cost;
  };

  return costOf(rootType, operation.selectionSet, 1, null, new Set());
}

// How many items a field's value holds: 1 for a single value; for a list, `size` items
// at its outer level and `assumedListSize` at each level nested in it.
function listFactor(type, size, assumedListSize) {
  let factor = 1;
  let level = 0;
  let current = getNullableType(type);
  while (isListType(current)) {
    factor *= level === 0 ? size : assumedListSize;
    level += 1;
    current = getNullableType(current.ofType);
  }
  return factor;
}

/**
 * A gateway plugin refusing operations whose estimated cost exceeds `maxCost`, before
 * their execution starts; with `reportCost` the estimate is added to every answer's
 * extensions, to help writing queries.
 */
export function useOperationCost({ maxCost, assumedListSize, reportCost = false }) {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const cost = estimateCost({
        schema: args.schema,
        document: args.document,
        operationName: args.operationName,
        variableValues: args.variableValues,
        assumedListSize,
      });
      if (cost === null) return undefined;
      if (cost > maxCost) {
        setResultAndStopExecution({
          errors: [
            new GraphQLError(
              `the operation is too expensive: its estimated cost is ${cost}, the limit is ${maxCost} ` +
                '(ask for fewer items with `first`, or nest fewer lists)',
              { extensions: { code: 'COST_LIMIT_EXCEEDED', cost: { estimated: cost, max: maxCost } } },
            ),
          ],
        });
        return undefined;
      }
      if (!reportCost) return undefined;
      return {
        onExecuteDone({ result, setResult }) {
          // Streams (defer) are left as they are; only single results carry the estimate.
          if (result && typeof result[Symbol.asyncIterator] !== 'function') {
            setResult({ ...result, extensions: { ...result.extensions, cost: { estimated: cost, max: maxCost } } });
          }
        },
      };
    },
  };
}
