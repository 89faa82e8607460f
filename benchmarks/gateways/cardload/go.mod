module clientcard/benchmarks/cardload

go 1.22
