with returned_lines as (

    select * from int_returned_lines

),

by_reason as (

    select
        return_reason,

        case
            when return_reason in ('damaged', 'wrong_item', 'arrived_late') then 'shop'
            else 'customer'
        end as responsible_party,

        count(*) as return_count,
        sum(returned_quantity) as units_returned,
        sum(refund_amount) as refunded_amount,
        round(avg(days_to_return), 1) as average_days_to_return

    from returned_lines

    group by return_reason

)

select * from by_reason
