# xenconsoled starts in dom0, reports READY=1 via sd_notify, and exits 0 on SIGTERM.
daemon_lifecycle xenconsoled
