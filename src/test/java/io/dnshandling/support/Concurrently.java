package io.dnshandling.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Runs calls at the same time, as racing clients would, and collects their results in order. */
public final class Concurrently {

    private Concurrently() {
    }

    public static <T> List<T> run(int count, IntFunction<Callable<T>> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Callable<T>> calls = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                calls.add(call.apply(i));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
