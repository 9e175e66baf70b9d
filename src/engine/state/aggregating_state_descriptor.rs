//! `org.apache.flink.api.common.state.AggregatingStateDescriptor`: the name, `AggregateFunction` and accumulator
//! type of an `AggregatingState`. StateLab models two functions over `Long` input:
//!
//! * a sum — `AggregateFunction<Long, Long, Long>`, accumulator `0L`, `add` returns `acc + value` (a new `Long`);
//! * an average — `AggregateFunction<Long, Tuple2<Long, Long>, Double>`, accumulator `Tuple2.of(0L, 0L)`, `add`
//!   mutates it in place (`acc.f0 += value; acc.f1 += 1; return acc;`), `getResult` is `f0 / f1`.

/// The user's `AggregateFunction`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AggregateFunctionKind {
    /// A `Long` accumulator: the sum.
    Sum,
    /// A `Tuple2<Long, Long>` (sum, count) accumulator: the average.
    Average,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AggregatingStateDescriptor {
    name: String,
    function: AggregateFunctionKind,
}

impl AggregatingStateDescriptor {
    /// `new AggregatingStateDescriptor<>(name, function, accumulatorType)`.
    pub fn new(name: impl Into<String>, function: AggregateFunctionKind) -> Self {
        AggregatingStateDescriptor {
            name: name.into(),
            function,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn function(&self) -> AggregateFunctionKind {
        self.function
    }
}
