# xenconsoled: see issue
