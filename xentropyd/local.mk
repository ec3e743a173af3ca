# xentropyd: see issue
