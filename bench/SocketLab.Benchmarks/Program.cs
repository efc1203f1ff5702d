using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/SocketLab.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
