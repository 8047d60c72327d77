/// Settles memory between the tiers of a mixed pool: a tier that cannot find room among its
/// own idle models asks for idle memory the other tiers hold on the GPUs it needs.
///
/// Implemented by ``HybridStrategy`` for its parts; a single strategy has none.
protocol MemoryArbiter: AnyObject {
    /// Bytes the tiers other than `tier` could free on GPU `g` by evicting idle models
    /// (counting memory already on its way out).
    func reclaimable(on g: Int, excluding tier: ModelTier, _ ctx: StrategyContext) -> Int64
    /// Evicts idle models of the tiers other than `tier` on `gpus` until each has `need` bytes
    /// free or on their way to being free (or nothing idle is left there), for model `m`.
    func reclaim(on gpus: Range<Int>, need: Int64, for m: Int, excluding tier: ModelTier, _ ctx: StrategyContext)
}

/// A tier of a mixed pool that can give back idle memory.
protocol ReleasingTier: AnyObject {
    /// Bytes its idle models could free on GPU `g` (counting memory already on its way out).
    func reclaimable(on g: Int, _ ctx: StrategyContext) -> Int64
    /// Evicts its idle models on `gpus` until each has `need` bytes free or freeing, for model `m`.
    func release(on gpus: Range<Int>, need: Int64, for m: Int, _ ctx: StrategyContext)
    /// Starts waiting work that freed memory now allows.
    func retryWaiting(_ ctx: StrategyContext)
}
