package io.distiltrain;

/** The main class of the jar JemallocRelaunchTest builds: what the process is before and after. */
public final class RelaunchProbe {
    private RelaunchProbe() {
    }

    public static void main(String[] args) {
        long pid = ProcessHandle.current().pid();
        System.out.println("start pid=" + pid + " marker=" + System.getenv(JemallocRelaunch.MARKER));
        System.out.flush();
        JemallocRelaunch.relaunchIfUseful(RelaunchProbe.class);
        System.out.println("run pid=" + pid + " marker=" + System.getenv(JemallocRelaunch.MARKER)
                + " preload=" + System.getenv("LD_PRELOAD") + " conf=" + System.getenv("MALLOC_CONF")
                + " args=" + String.join("|", args) + " allocator=" + NativeAllocator.tune(System.getenv()));
        System.exit(7);
    }
}
