raise RuntimeError('this policy file refuses to load')
