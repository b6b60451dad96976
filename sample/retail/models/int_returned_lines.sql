with returns as (

    select * from stg_returns

),

order_lines as (

    select * from int_order_lines

),

returned_lines as (

    select
        returns.order_id,
        returns.product_id,
        order_lines.customer_id,
        order_lines.channel,
        order_lines.category,
        returns.returned_on,
        returns.return_reason,
        returns.returned_quantity,
        returns.returned_quantity * order_lines.unit_price as refund_amount,
        date_diff('day', order_lines.order_date, returns.returned_on) as days_to_return

    from returns

    inner join order_lines
        on returns.order_id = order_lines.order_id
        and returns.product_id = order_lines.product_id

)

select * from returned_lines
