/**
 * The global names a generated service's TypeScript sees (lib ES2023 and
 * @types/node: types, interfaces, classes, namespaces and values), PascalCase
 * only. An event named after one of them (`Promise`, `Record`, `Map`) would
 * declare a type that shadows the global inside the generated modules, which
 * then fail `tsc` (TS2315 "Type 'Promise' is not generic"). Listed rather than
 * computed so that validating a name needs no TypeScript program; a unit test
 * (test/generate/ts-globals.test.ts) checks the list against the compiler's own.
 */
export const TS_GLOBAL_NAMES: ReadonlySet<string> = new Set([
  'AbortController', 'AbortSignal', 'AggregateError', 'AggregateErrorConstructor', 'AllowSharedBuffer', 'Array',
  'ArrayBuffer', 'ArrayBufferConstructor', 'ArrayBufferLike', 'ArrayBufferTypes', 'ArrayBufferView',
  'ArrayConstructor', 'ArrayIterator', 'ArrayLike', 'AsyncDisposable', 'AsyncGenerator', 'AsyncGeneratorFunction',
  'AsyncGeneratorFunctionConstructor', 'AsyncIterable', 'AsyncIterableIterator', 'AsyncIterator',
  'AsyncIteratorObject', 'Atomics', 'Awaited', 'BigInt', 'BigInt64Array', 'BigInt64ArrayConstructor',
  'BigIntConstructor', 'BigIntToLocaleStringOptions', 'BigUint64Array', 'BigUint64ArrayConstructor', 'Blob',
  'Boolean', 'BooleanConstructor', 'BroadcastChannel', 'Buffer', 'BufferConstructor', 'BufferEncoding',
  'BuiltinIteratorReturn', 'ByteLengthQueuingStrategy', 'CallableFunction', 'Capitalize',
  'ClassAccessorDecoratorContext', 'ClassAccessorDecoratorResult', 'ClassAccessorDecoratorTarget', 'ClassDecorator',
  'ClassDecoratorContext', 'ClassFieldDecoratorContext', 'ClassGetterDecoratorContext',
  'ClassMemberDecoratorContext', 'ClassMethodDecoratorContext', 'ClassSetterDecoratorContext', 'CompressionStream',
  'ConcatArray', 'Console', 'ConstructorParameters', 'CountQueuingStrategy', 'CustomEvent', 'DOMException',
  'DataView', 'DataViewConstructor', 'Date', 'DateConstructor', 'DecompressionStream', 'DecoratorContext',
  'DecoratorMetadata', 'DecoratorMetadataObject', 'Disposable', 'Error', 'ErrorConstructor', 'ErrorOptions',
  'EvalError', 'EvalErrorConstructor', 'Event', 'EventListenerOptions', 'EventSource', 'EventSourceInit',
  'EventTarget', 'Exclude', 'Extract', 'File', 'FinalizationRegistry', 'FinalizationRegistryConstructor',
  'FlatArray', 'Float32Array', 'Float32ArrayConstructor', 'Float64Array', 'Float64ArrayConstructor', 'FormData',
  'Function', 'FunctionConstructor', 'Generator', 'GeneratorFunction', 'GeneratorFunctionConstructor', 'Global',
  'Headers', 'IArguments', 'ImportAssertions', 'ImportAttributes', 'ImportCallOptions', 'ImportMeta', 'Infinity',
  'InstanceType', 'Int16Array', 'Int16ArrayConstructor', 'Int32Array', 'Int32ArrayConstructor', 'Int8Array',
  'Int8ArrayConstructor', 'Intl', 'Iterable', 'IterableIterator', 'Iterator', 'IteratorObject', 'IteratorResult',
  'IteratorReturnResult', 'IteratorYieldResult', 'JSON', 'Lowercase', 'Map', 'MapConstructor', 'MapIterator', 'Math',
  'MessageChannel', 'MessageEvent', 'MessageEventInit', 'MessagePort', 'MethodDecorator', 'NaN', 'Navigator',
  'NewableFunction', 'NoInfer', 'NodeJS', 'NodeModule', 'NodeRequire', 'NonNullable', 'NonSharedBuffer', 'Number',
  'NumberConstructor', 'Object', 'ObjectConstructor', 'Omit', 'OmitThisParameter', 'ParameterDecorator',
  'Parameters', 'Partial', 'PerformanceEntry', 'PerformanceMark', 'PerformanceMeasure', 'PerformanceObserver',
  'PerformanceObserverEntryList', 'PerformanceResourceTiming', 'Pick', 'Promise', 'PromiseConstructor',
  'PromiseConstructorLike', 'PromiseFulfilledResult', 'PromiseLike', 'PromiseRejectedResult', 'PromiseSettledResult',
  'PropertyDecorator', 'PropertyDescriptor', 'PropertyDescriptorMap', 'PropertyKey', 'Proxy', 'ProxyConstructor',
  'ProxyHandler', 'QueuingStrategy', 'RangeError', 'RangeErrorConstructor', 'ReadableByteStreamController',
  'ReadableStream', 'ReadableStreamBYOBReader', 'ReadableStreamBYOBRequest', 'ReadableStreamDefaultController',
  'ReadableStreamDefaultReader', 'ReadableWritablePair', 'Readonly', 'ReadonlyArray', 'ReadonlyMap', 'ReadonlySet',
  'Record', 'ReferenceError', 'ReferenceErrorConstructor', 'Reflect', 'RegExp', 'RegExpConstructor',
  'RegExpExecArray', 'RegExpIndicesArray', 'RegExpMatchArray', 'RegExpStringIterator', 'RelativeIndexable',
  'Request', 'RequestInit', 'RequireResolve', 'Required', 'Response', 'ResponseInit', 'ReturnType', 'Set',
  'SetConstructor', 'SetIterator', 'SharedArrayBuffer', 'SharedArrayBufferConstructor', 'Storage', 'String',
  'StringConstructor', 'StringIterator', 'Symbol', 'SymbolConstructor', 'SyntaxError', 'SyntaxErrorConstructor',
  'TemplateStringsArray', 'TextDecoder', 'TextDecoderStream', 'TextEncoder', 'TextEncoderStream',
  'ThisParameterType', 'ThisType', 'TransformStream', 'TransformStreamDefaultController', 'TypeError',
  'TypeErrorConstructor', 'TypedPropertyDescriptor', 'URIError', 'URIErrorConstructor', 'URL', 'URLSearchParams',
  'Uint16Array', 'Uint16ArrayConstructor', 'Uint32Array', 'Uint32ArrayConstructor', 'Uint8Array',
  'Uint8ArrayConstructor', 'Uint8ClampedArray', 'Uint8ClampedArrayConstructor', 'Uncapitalize', 'Uppercase',
  'WeakKey', 'WeakKeyTypes', 'WeakMap', 'WeakMapConstructor', 'WeakRef', 'WeakRefConstructor', 'WeakSet',
  'WeakSetConstructor', 'WebSocket', 'WebSocketInit', 'WritableStream', 'WritableStreamDefaultController',
  'WritableStreamDefaultWriter',
]);
