module socketlab/bench/go-echo

go 1.19
