"""Speed and memory benchmarks: `make bench`. Results go to benchmarks/results/."""
