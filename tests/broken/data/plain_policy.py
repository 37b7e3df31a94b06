class NotARouter:
    pass
